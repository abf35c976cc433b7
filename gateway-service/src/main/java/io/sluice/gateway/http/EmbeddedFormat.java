package io.sluice.gateway.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * How keys and values appear in JSON, as the Strimzi HTTP Bridge has it: base64 strings (binary), any JSON whose
 * UTF-8 text is the bytes (json), or strings whose UTF-8 encoding is the bytes (text).
 */
public enum EmbeddedFormat {
    BINARY,
    JSON,
    TEXT;

    public static final String BINARY_V2 = "application/vnd.kafka.binary.v2+json";
    public static final String JSON_V2 = "application/vnd.kafka.json.v2+json";
    public static final String TEXT_V2 = "application/vnd.kafka.text.v2+json";
    /** What the bridge answers a produce request with. */
    public static final String BRIDGE_V2 = "application/vnd.kafka.v2+json";

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The format a produce request's content type names; plain JSON is the json format. */
    public static EmbeddedFormat ofContentType(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase();
        return switch (type) {
            case BINARY_V2 -> BINARY;
            case TEXT_V2 -> TEXT;
            default -> JSON;
        };
    }

    /** The format a read asks for by name: binary, json or text. */
    public static EmbeddedFormat ofName(String name) {
        return switch (name) {
            case "binary" -> BINARY;
            case "json" -> JSON;
            case "text" -> TEXT;
            default -> throw HttpError.badRequest("format must be binary, json or text, not '" + name + "'");
        };
    }

    /** The bytes a key or value given in this format stands for; null for JSON null or absent. */
    byte[] bytes(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return null;
        }
        return switch (this) {
            case BINARY -> {
                if (!node.isTextual()) {
                    throw HttpError.unprocessable(what + " must be a base64 string in the binary format");
                }
                try {
                    yield Base64.getDecoder().decode(node.textValue());
                } catch (IllegalArgumentException e) {
                    throw HttpError.unprocessable(what + " is not valid base64: " + e.getMessage());
                }
            }
            case TEXT -> {
                if (!node.isTextual()) {
                    throw HttpError.unprocessable(what + " must be a string in the text format");
                }
                yield node.textValue().getBytes(StandardCharsets.UTF_8);
            }
            case JSON -> {
                try {
                    yield MAPPER.writeValueAsBytes(node);
                } catch (IOException e) {
                    throw HttpError.unprocessable(what + " cannot be written as JSON");
                }
            }
        };
    }

    /** A stored key or value in this format; JSON null for none. */
    JsonNode node(byte[] bytes, long offset, String what) {
        if (bytes == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        return switch (this) {
            case BINARY -> new BinaryNode(bytes);
            case TEXT -> new TextNode(new String(bytes, StandardCharsets.UTF_8));
            case JSON -> {
                JsonNode json;
                try {
                    json = MAPPER.readTree(bytes);
                } catch (IOException e) {
                    json = null;
                }
                if (json == null || json.isMissingNode()) {
                    throw new HttpError(406, "the " + what + " at offset " + offset
                            + " is not JSON; read it with format=binary or format=text");
                }
                yield json;
            }
        };
    }
}
