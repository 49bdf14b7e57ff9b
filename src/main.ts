/** Entry point of `npm start`: validate the config, start, and stop cleanly on SIGTERM/SIGINT. */
import { ConfigError, loadConfig } from "./config/env.js";
import { startServer } from "./server.js";
import { createLogger } from "./shared/logger.js";

let config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`kefu: ${err.message}`);
    process.exit(1);
  }
  throw err;
}

const log = createLogger(config.logLevel);
const server = await startServer(config, log).catch((err: unknown) => {
  log.fatal({ err }, "kefu could not start");
  process.exit(1);
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    log.info({ signal }, "shutting down");
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
