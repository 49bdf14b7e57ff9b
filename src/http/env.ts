/** Variables every request carries through the Hono context. */
import type { ServiceContext } from "../context.js";
import type { Logger } from "../shared/logger.js";

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    /** The service context for this request, with the authenticated actor. */
    ctx: ServiceContext;
  };
}
