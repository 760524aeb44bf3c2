/**
 * {@code Bot.importGit} (README "Importing from git"): where a bot's git repository is, how its
 * archive is read within limits, and how the archive replaces the bot's commands and libraries.
 * The archive is fetched by the outbound-call executor, through the egress policy like any
 * {@code HTTP.*} call.
 */
package dev.botwebhooks.gitimport;
