/**
 * The web console for bot owners (README "The web console"): a static page and its assets, served
 * by the bot API's function, that call only the public bot API.
 */
package dev.botwebhooks.console;
