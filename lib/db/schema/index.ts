/** Every table Roster stores, one file per feature; drizzle-kit generates the migrations from here. */
export * from "./activity";
export * from "./directory";
export * from "./reviews";
