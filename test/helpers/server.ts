/** `npm start` as a child process, for the tests (the benchmarks use the same helper). */
export { roundRobin, spawnServer, type ServerProcess } from "../../eval/lib/server.js";
