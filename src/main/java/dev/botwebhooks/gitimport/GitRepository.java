package dev.botwebhooks.gitimport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.InvalidRequestException;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.json.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bot's git repository (README "Importing from git"), set by its owner with {@code PUT
 * /bots/{botId}/git} and kept as the {@code json} bot property {@value #PROPERTY}: a GitHub
 * repository, whose archive is {@code codeload.github.com}'s zip of a branch, or any host's zip
 * archive URL with {@code {branch}} where the branch goes.
 *
 * @param repository the repository as the owner gave it, or null when only the archive URL is
 * @param archiveUrl the zip archive's URL with {@value #BRANCH} in place of the branch
 * @param branch the branch {@code Bot.importGit} takes when it names none
 */
public record GitRepository(String repository, String archiveUrl, String branch) {
  public static final String PROPERTY = "Git:repository";
  public static final String BRANCH = "{branch}";
  private static final String DEFAULT_BRANCH = "main";
  private static final Pattern GITHUB =
      Pattern.compile(
          "(?:https://github\\.com/|git@github\\.com:|ssh://git@github\\.com/)"
              + "([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\\.git)?/?");
  private static final Pattern BRANCH_NAME = Pattern.compile("[A-Za-z0-9._/-]{1,200}");

  public GitRepository {
    requireArchiveUrl(archiveUrl);
    requireBranch(branch);
  }

  public static PropertyKey key(String botId) {
    return PropertyKey.ofBot(botId, PROPERTY);
  }

  /**
   * The setting from {@code {"repository", "archive_url", "branch"}}: {@code repository} alone
   * when it is on GitHub, else {@code archive_url}.
   *
   * @throws InvalidRequestException saying which field is wrong
   */
  public static GitRepository fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new InvalidRequestException("body", "the git setting must be a JSON object");
    }
    String repository = text(json, "repository").orElse(null);
    Optional<String> archive = text(json, "archive_url");
    String branch = text(json, "branch").orElse(DEFAULT_BRANCH);
    if (archive.isPresent()) {
      return new GitRepository(repository, archive.get(), branch);
    }
    if (repository == null) {
      throw new InvalidRequestException(
          "repository", "repository (a GitHub repository) or archive_url is required");
    }
    Matcher github = GITHUB.matcher(repository.trim());
    // "." and ".." are no GitHub names: in the archive's URL they would be path segments.
    if (!github.matches() || github.group(1).matches("\\.+") || github.group(2).matches("\\.+")) {
      throw new InvalidRequestException(
          "repository",
          "repository must be a GitHub repository (https://github.com/owner/name); for another"
              + " host give archive_url, a zip archive URL with {branch} in it");
    }
    return new GitRepository(
        repository,
        "https://codeload.github.com/" + github.group(1) + "/" + github.group(2)
            + "/zip/refs/heads/" + BRANCH,
        branch);
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("repository", repository);
    o.put("archive_url", archiveUrl);
    o.put("branch", branch);
    return o;
  }

  /**
   * The archive's URL for a branch (this setting's branch when none is given).
   *
   * @throws InvalidRequestException for a branch git would not name so
   */
  public String archiveUrlFor(Optional<String> givenBranch) {
    String name = givenBranch.orElse(branch);
    requireBranch(name);
    StringBuilder path = new StringBuilder();
    for (String segment : name.split("/", -1)) {
      if (path.length() > 0) {
        path.append('/');
      }
      path.append(URLEncoder.encode(segment, StandardCharsets.UTF_8));
    }
    return archiveUrl.replace(BRANCH, path);
  }

  private static void requireBranch(String name) {
    if (!BRANCH_NAME.matcher(name).matches()
        || name.contains("..")
        || name.startsWith("/")
        || name.startsWith("-")
        || name.endsWith("/")
        || name.contains("//")) {
      throw new InvalidRequestException(
          "branch",
          "branch must be a git branch name: 1-200 of A-Z a-z 0-9 . _ / -, no '..', not starting"
              + " with '-' or '/'");
    }
  }

  private static void requireArchiveUrl(String url) {
    try {
      URI uri = new URI(url.replace(BRANCH, "b"));
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https"))
          && uri.getRawAuthority() != null
          && url.contains(BRANCH)) {
        return;
      }
    } catch (URISyntaxException e) {
      // answered below
    }
    throw new InvalidRequestException(
        "archive_url", "archive_url must be an absolute http or https URL with {branch} in it");
  }

  private static Optional<String> text(JsonNode json, String field) {
    JsonNode v = json.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new InvalidRequestException(field, field + " must be a non-empty string");
    }
    return Optional.of(v.asText().trim());
  }
}
