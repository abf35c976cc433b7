package io.sluice.coordinator.security;

/**
 * One user's SCRAM credential for one mechanism as the coordinator stores it (Kafka's UserScramCredentialRecord):
 * salt, StoredKey, ServerKey and iterations. The password, and the salted password a client sends, are never kept.
 */
public record ScramCredentialRecord(String user, String mechanism, byte[] salt, byte[] storedKey, byte[] serverKey,
        int iterations) {

    /** The salt and keys stay out of logs. */
    @Override
    public String toString() {
        return "ScramCredentialRecord[user=" + user + ", mechanism=" + mechanism + ", iterations=" + iterations + "]";
    }
}
