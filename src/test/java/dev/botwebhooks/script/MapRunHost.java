package dev.botwebhooks.script;

import dev.botwebhooks.core.Ids;
import dev.botwebhooks.core.InvalidRequestException;
import dev.botwebhooks.core.LimitExceededException;
import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RunHost;
import dev.botwebhooks.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run host over a map, enforcing the same rules as the real one for what tests need; a test may
 * override a call to make it fail.
 */
class MapRunHost implements RunHost {
  @Override
  public void keepRun() {}

  final Map<String, PropertyValue> properties = new HashMap<>();
  final List<MintRequest> minted = new ArrayList<>();
  private final int maxPropertyBytes;

  MapRunHost(int maxPropertyBytes) {
    this.maxPropertyBytes = maxPropertyBytes;
  }

  MapRunHost() {
    this(65536);
  }

  static String key(Optional<String> userId, String name) {
    return userId.map(u -> "user:" + u + ":").orElse("bot:") + name;
  }

  @Override
  public Optional<PropertyValue> getProperty(Optional<String> userId, String name) {
    return Optional.ofNullable(properties.get(key(userId, name)));
  }

  @Override
  public void setProperty(Optional<String> userId, String name, PropertyValue value) {
    if (userId.isPresent() && !Ids.isUserId(userId.get())) {
      throw new InvalidRequestException("user_id", "malformed user id");
    }
    if (Json.write(value.value()).length() > maxPropertyBytes) {
      throw new LimitExceededException("MAX_PROPERTY_BYTES", "property too large");
    }
    properties.put(key(userId, name), value);
  }

  @Override
  public void deleteProperty(Optional<String> userId, String name) {
    properties.remove(key(userId, name));
  }

  @Override
  public String mint(MintRequest request) {
    if (request.command() == null || request.command().isBlank()) {
      throw new InvalidRequestException("command", "command is required");
    }
    minted.add(request);
    return "https://hooks.test/hooks/hook" + minted.size();
  }
}
