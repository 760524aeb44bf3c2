/**
 * The rules a command or library upload must meet, shared by the bot API's uploads and the git
 * import (README "The bot API", "Importing from git"): names as Bots.Business takes them, the
 * {@code /*CMD} header's aliases, and the form the engine runs (README "Transpiling at upload").
 */
package dev.botwebhooks.code;
