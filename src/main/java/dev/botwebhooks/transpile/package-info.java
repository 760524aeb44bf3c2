/**
 * Transpiling at upload (README "Transpiling at upload"): a command or library body that the
 * engine does not parse as written ({@code class}, spread in calls, object rest, rest parameters)
 * is turned by Google's Closure Compiler into ES5 that it runs, with the compiler's runtime
 * helpers it needs, and a table from its lines back to the uploaded file's. Only the bot API uses
 * this package: the compiler's classes stay out of the webhook function.
 */
package dev.botwebhooks.transpile;
