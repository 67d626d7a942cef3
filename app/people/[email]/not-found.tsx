import { NotFoundPanel } from "@/components/nav/not-found-panel";

/** A person page for an address no vendor has or had an account for. */
export default function PersonNotFound() {
  return (
    <NotFoundPanel
      title="No such person"
      message="No vendor has or had an account with this address in the directory's snapshots."
      back={{ href: "/people", label: "Back to People" }}
    />
  );
}
