/**
 * TensorFlow.js backend selection. Model code is written against @tensorflow/tfjs;
 * at start-up we use the native binding (@tensorflow/tfjs-node, an optional dependency)
 * when it is installed, else the WASM backend, else the plain JavaScript CPU backend.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { Logger } from "../shared/logger.js";

export type TfBackendPreference = "auto" | "tensorflow" | "wasm" | "cpu";
export type TfBackendName = "tensorflow" | "wasm" | "cpu";

export { tf };

const require = createRequire(import.meta.url);
let active: Promise<TfBackendName> | null = null;

/** Initialises TensorFlow.js once per process and returns the backend in use. */
export function initTensorFlow(preference: TfBackendPreference, logger?: Logger): Promise<TfBackendName> {
  active ??= chooseBackend(preference, logger);
  return active;
}

async function chooseBackend(preference: TfBackendPreference, logger?: Logger): Promise<TfBackendName> {
  const order: TfBackendName[] =
    preference === "auto" ? ["tensorflow", "wasm", "cpu"] : [preference, ...(preference === "cpu" ? [] : ["cpu" as const])];
  for (const name of order) {
    try {
      if (await tryBackend(name)) {
        logger?.info({ tfBackend: name }, "TensorFlow.js backend ready");
        return name;
      }
    } catch (err) {
      logger?.debug({ err, tfBackend: name }, "TensorFlow.js backend unavailable");
    }
  }
  throw new Error("no TensorFlow.js backend could be initialised");
}

async function tryBackend(name: TfBackendName): Promise<boolean> {
  if (name === "tensorflow") {
    // Registers the "tensorflow" backend as a side effect; absent when the optional install was skipped.
    const nodeBinding = "@tensorflow/tfjs-node";
    await import(nodeBinding);
    return tf.setBackend("tensorflow");
  }
  if (name === "wasm") {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const distDir = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
    wasm.setWasmPaths(join(distDir, "/"));
    return tf.setBackend("wasm");
  }
  return tf.setBackend("cpu");
}
