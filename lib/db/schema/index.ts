/** Every table Roster stores, one file per feature; drizzle-kit generates the migrations from here. */
export * from "./directory";
export * from "./auth";
export * from "./people";
export * from "./activity";
export * from "./reviews";
