package dev.mlplatform.recsys.api;

/** A catalogue item that does not exist. */
final class ItemNotFoundException extends RuntimeException {

    ItemNotFoundException(String itemId) {
        super("no item " + itemId + " in the catalogue");
    }
}
