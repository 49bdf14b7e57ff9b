/** agent.js: the workbench at /agent, talking to the API on the same origin. */
import { Workbench } from "./workbench.js";

const root = document.getElementById("app");
if (root) new Workbench(root, new URL("/", location.href).href).start();
