// The Prisma ORM client snippet's import: @prisma/adapter-pg exports PrismaPg, which takes
// { connectionString } (Prisma's driver adapter for node-postgres). Prints "PrismaPg: ok".
import { PrismaPg } from "@prisma/adapter-pg";

const adapter = new PrismaPg({ connectionString: "postgres://u:p@127.0.0.1:1/db" });
if (typeof adapter.connect !== "function") throw new Error("PrismaPg has no connect()");
console.log(`PrismaPg: ok (${adapter.provider}, ${adapter.adapterName})`);
