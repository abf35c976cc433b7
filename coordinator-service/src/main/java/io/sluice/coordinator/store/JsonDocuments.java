package io.sluice.coordinator.store;

import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The coordinator's records as the state store keeps them: JSON documents, written and read one way by every part. */
public final class JsonDocuments {

    private final ObjectMapper json;

    public JsonDocuments(ObjectMapper json) {
        this.json = json;
    }

    public String write(Object record) {
        try {
            return json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public <T> T read(String document, Class<T> type) {
        try {
            return json.readValue(document, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "unreadable state entry (" + type.getSimpleName() + "): " + e.getMessage(), e);
        }
    }

    public <T> List<T> readAll(Collection<String> documents, Class<T> type) {
        return documents.stream().map(document -> read(document, type)).toList();
    }
}
