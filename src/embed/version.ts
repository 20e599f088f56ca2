/**
 * The embed API's version, which every message carries (`resyncLab: 1`; see protocol.ts). Apart
 * so that the app's first screen, which names it when it forwards a key to its host, does not
 * load the whole protocol: that comes with the embed bridge, once the lab is in a frame.
 */
export const API_VERSION = 1;
