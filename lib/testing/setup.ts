/**
 * Before every unit test file: session revocations in memory, so tests that
 * read sessions need no database (tests of the database store set their own).
 */
import { MemoryRevocationStore, setRevocationStore } from "@/lib/auth/revocation";

setRevocationStore(new MemoryRevocationStore());
