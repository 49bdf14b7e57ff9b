/** admin.js: the maintainer console at /admin, talking to the API on the same origin. */
import { AdminConsole } from "./console.js";

const root = document.getElementById("app");
if (root) new AdminConsole(root, new URL("/", location.href).href).start();
