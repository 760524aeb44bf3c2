package dev.botwebhooks.script;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.NativeObject;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.TopLevel;

/**
 * The subset of CryptoJS that payment callbacks use to verify signatures, computed with the
 * JDK: hashes and HMACs return "word arrays" whose {@code toString()} is lowercase hex and whose
 * {@code toString(CryptoJS.enc.Base64)} is base64.
 */
final class CryptoJs {
  /** Inputs longer than this are refused: hashing runs without instruction checks. */
  static final int MAX_INPUT_CHARS = 8 << 20;

  private CryptoJs() {}

  /** Builds a fresh {@code CryptoJS} object in the run's scope. */
  static Scriptable create(Context cx, Scriptable scope) {
    Scriptable crypto = cx.newObject(scope);
    Scriptable enc = cx.newObject(scope);
    Scriptable hex = encoder(cx, scope, "Hex");
    Scriptable base64 = encoder(cx, scope, "Base64");
    Scriptable utf8 = encoder(cx, scope, "Utf8");
    Scriptable latin1 = encoder(cx, scope, "Latin1");
    ScriptableObject.putProperty(enc, "Hex", hex);
    ScriptableObject.putProperty(enc, "Base64", base64);
    ScriptableObject.putProperty(enc, "Utf8", utf8);
    ScriptableObject.putProperty(enc, "Latin1", latin1);
    ScriptableObject.putProperty(crypto, "enc", enc);
    for (String alg : new String[] {"MD5", "SHA1", "SHA256", "SHA512"}) {
      String jdk = "SHA1".equals(alg) ? "SHA-1" : alg.replace("SHA", "SHA-");
      ScriptableObject.putProperty(
          crypto,
          alg,
          new LambdaFunction(
              scope, alg, 1, (c, s, t, args) -> wordArray(c, s, digest(jdk, bytes(args, 0)))));
      String hmac = "Hmac" + alg;
      ScriptableObject.putProperty(
          crypto,
          hmac,
          new LambdaFunction(
              scope,
              hmac,
              2,
              (c, s, t, args) ->
                  wordArray(c, s, hmac("Hmac" + alg, bytes(args, 0), bytes(args, 1)))));
    }
    return crypto;
  }

  private static Scriptable encoder(Context cx, Scriptable scope, String name) {
    Scriptable encoder = cx.newObject(scope);
    ScriptableObject.putProperty(encoder, "__encoding", name);
    ScriptableObject.putProperty(
        encoder,
        "stringify",
        new LambdaFunction(
            scope, "stringify", 1, (c, s, t, args) -> encode(name, bytes(args, 0))));
    ScriptableObject.putProperty(
        encoder,
        "parse",
        new LambdaFunction(
            scope,
            "parse",
            1,
            (c, s, t, args) -> wordArray(c, s, decode(name, text(args.length > 0 ? args[0] : ""))))
        );
    return encoder;
  }

  /** A word array: bytes kept in Java, seen by scripts only through its methods. */
  static final class WordArray extends NativeObject {
    private static final long serialVersionUID = 1L;
    final byte[] bytes;

    WordArray(byte[] bytes) {
      this.bytes = bytes;
    }
  }

  private static Scriptable wordArray(Context cx, Scriptable scope, byte[] bytes) {
    WordArray words = new WordArray(bytes);
    ScriptRuntime.setBuiltinProtoAndParent(words, scope, TopLevel.Builtins.Object);
    words.defineProperty("sigBytes", bytes.length, ScriptableObject.READONLY);
    words.defineProperty(
        "toString",
        new LambdaFunction(
            scope,
            "toString",
            1,
            (c, s, t, args) -> {
              String encoding = "Hex";
              if (args.length > 0 && args[0] instanceof Scriptable enc) {
                Object name = ScriptableObject.getProperty(enc, "__encoding");
                if (name instanceof CharSequence cs) {
                  encoding = cs.toString();
                }
              }
              return encode(encoding, words.bytes);
            }),
        ScriptableObject.DONTENUM);
    return words;
  }

  private static String encode(String encoding, byte[] bytes) {
    switch (encoding) {
      case "Base64":
        return Base64.getEncoder().encodeToString(bytes);
      case "Utf8":
        return new String(bytes, StandardCharsets.UTF_8);
      case "Latin1":
        return new String(bytes, StandardCharsets.ISO_8859_1);
      default:
        return HexFormat.of().formatHex(bytes);
    }
  }

  private static byte[] decode(String encoding, String text) {
    try {
      switch (encoding) {
        case "Base64":
          return Base64.getDecoder().decode(text);
        case "Hex":
          return HexFormat.of().parseHex(text);
        case "Latin1":
          return text.getBytes(StandardCharsets.ISO_8859_1);
        default:
          return text.getBytes(StandardCharsets.UTF_8);
      }
    } catch (IllegalArgumentException e) {
      throw ScriptRuntime.typeError("CryptoJS.enc." + encoding + ".parse: malformed input");
    }
  }

  private static byte[] bytes(Object[] args, int index) {
    Object value = index < args.length ? args[index] : "";
    if (value instanceof WordArray words) {
      return words.bytes;
    }
    return text(value).getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Object value) {
    String text = JsValues.boundedText(value, MAX_INPUT_CHARS);
    if (text == null) {
      throw ScriptRuntime.rangeError("CryptoJS input is longer than " + MAX_INPUT_CHARS);
    }
    return text;
  }

  private static byte[] digest(String algorithm, byte[] input) {
    try {
      return MessageDigest.getInstance(algorithm).digest(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("digest " + algorithm + " unavailable", e);
    }
  }

  private static byte[] hmac(String algorithm, byte[] message, byte[] key) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      // An empty key is legal in CryptoJS; the JDK refuses it, so use one zero byte (same MAC).
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("mac " + algorithm + " unavailable", e);
    }
  }
}
