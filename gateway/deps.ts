/**
 * What every part of the gateway receives instead of reaching for globals (house style §11):
 * time (the controller runtime's `Clock`, so timers and expiry are testable) and logging.
 */
export { sleep, systemClock, waitingClock, type Clock } from "../core/controller/clock.js";
export { errorText, jsonLogger, silentLogger, type Logger } from "../core/controller/logger.js";
