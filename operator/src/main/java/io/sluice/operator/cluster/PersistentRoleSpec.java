package io.sluice.operator.cluster;

/** The section of a role whose pods keep their data on a volume each: brokers and coordinators. */
public abstract class PersistentRoleSpec extends RoleSpec {

    private StorageSpec storage;

    protected PersistentRoleSpec(String defaultSize) {
        storage = new StorageSpec(defaultSize);
    }

    public StorageSpec getStorage() {
        return storage;
    }

    public void setStorage(StorageSpec storage) {
        this.storage = storage;
    }
}
