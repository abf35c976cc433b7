package io.sluice.replication;

import java.util.Base64;

import javax.crypto.spec.SecretKeySpec;

import org.jgroups.annotations.Property;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.SYM_ENCRYPT;

/**
 * JGroups' symmetric encryption keyed by the cluster's member secret ({@code MemberCredential#jgroupsKey}), so no
 * keystore file has to be shipped: every message above the failure detectors (membership, state transfer, cache
 * commands) is AES-CBC encrypted, and a node without the key can neither read them nor join, as its join request
 * carries another key's version and comes from outside the view.
 */
public class MemberEncryption extends SYM_ENCRYPT {

    /** Under NAKACK2 and UNICAST3, so their headers and retransmissions are covered too. */
    static final String XML = """
            <io.sluice.replication.MemberEncryption member_key="${sluice.jgroups.member_key}"
                                                    sym_algorithm="AES/CBC/PKCS5Padding" sym_iv_length="16"/>""";

    /** Outside the range JGroups and Infinispan give their own protocols. */
    private static final short PROTOCOL_ID = 1789;

    static {
        ClassConfigurator.addProtocol(PROTOCOL_ID, MemberEncryption.class);
    }

    @Property(description = "the AES key, base64", exposeAsManagedAttribute = false)
    protected String member_key;

    @Override
    public void init() throws Exception {
        setSecretKey(new SecretKeySpec(Base64.getDecoder().decode(member_key), "AES"));
        super.init();
    }
}
