/**
 * How a channel is served: `robot_only` (the bot alone; a request for a person opens a ticket),
 * `robot_first` (the bot, handing over when needed), `human_first` (VIP customers go to a person at
 * once, others start with the bot) and `human_only` (every conversation goes to a person; the bot
 * only says where the shopper is in the queue).
 */
export const SERVICE_MODES = ["robot_only", "robot_first", "human_first", "human_only"] as const;
export type ServiceMode = (typeof SERVICE_MODES)[number];

/** Whether the bot answers simple questions while the shopper waits for a person. */
export const botWhileWaiting = (mode: ServiceMode) => mode === "robot_first" || mode === "human_first";
