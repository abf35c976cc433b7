package io.sluice.operator.mock;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Serves server-side apply, which fabric8's CRUD mock refuses (415), as the JSON merge patch (RFC 7386) of the applied
 * body: the object is read, merged with the body and written back whole (the mock's own merge patch appends to
 * arrays), through the status subresource when the apply goes there; the apply of an object that does not exist
 * creates it. Field ownership is not modelled: what an apply leaves out stays, and what it carries is written, as a
 * real API server does with the fields a forced apply takes over. Bodies are JSON, as fabric8's client sends them.
 */
final class ServerSideApplyDispatcher extends Dispatcher {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Dispatcher crud;

    ServerSideApplyDispatcher(Dispatcher crud) {
        this.crud = crud;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        if (request.method() != HttpMethod.PATCH || contentType == null
                || !contentType.startsWith("application/apply-patch+yaml")) {
            return crud.dispatch(request);
        }
        String path = withoutQuery(request.getPath());
        boolean status = path.endsWith("/status");
        String object = status ? path.substring(0, path.length() - "/status".length()) : path;
        String applied = request.getBody().readUtf8();
        MockResponse current = crud.dispatch(json(request, HttpMethod.GET, object, null));
        if (current.code() == HttpURLConnection.HTTP_NOT_FOUND) {
            return status ? current
                    : crud.dispatch(json(request, HttpMethod.POST, object.substring(0, object.lastIndexOf('/')),
                            applied));
        }
        try {
            JsonNode merged = mergePatch(JSON.readTree(current.getBody().readUtf8()), JSON.readTree(applied));
            return crud.dispatch(json(request, HttpMethod.PUT, path, JSON.writeValueAsString(merged)));
        } catch (JsonProcessingException e) {
            return new MockResponse().setResponseCode(HttpURLConnection.HTTP_BAD_REQUEST).setBody(e.getMessage());
        }
    }

    /** RFC 7386: objects merge key by key, null removes a key, anything else replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : JSON.createObjectNode();
        patch.properties().forEach(field -> {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        });
        return result;
    }

    private static RecordedRequest json(RecordedRequest original, HttpMethod method, String path, String body) {
        Headers headers = original.getHeaders().newBuilder().set("Content-Type", "application/json").build();
        Buffer buffer = new Buffer(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
        return new RecordedRequest(original.getHttpVersion(), method, path, headers, buffer);
    }

    private static String withoutQuery(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }
}
