package org.infinispan.container.entries;

import java.lang.reflect.Array;

import org.infinispan.commons.util.AbstractEntrySizeCalculatorHelper;

/**
 * Sluice's stand-in for Infinispan 16.0's class of this name, which {@code application.properties} removes from
 * infinispan-core ({@code quarkus.class-loading.removed-resources}). The memory-bounded data containers of the store's
 * caches size every entry written with it. Infinispan's sizes an array by first calling
 * {@code sun.misc.Unsafe.getUnsafe()}, which throws a {@code SecurityException} for any caller outside the JDK, then
 * copying Unsafe's fields by reflection to find the instance; with byte[] keys and values that was two exceptions
 * with stack traces and two field copies per entry written, about a third of a broker's allocation at a steady 1,000
 * records/s. This one needs no Unsafe and makes the same estimate: an object's header and fields, rounded up to 8
 * bytes, for arrays, strings and boxed primitives.
 */
public class PrimitiveEntrySizeCalculator extends AbstractEntrySizeCalculatorHelper<Object, Object> {

    /** An array's header: the object header and class reference, then its length. */
    private static final int ARRAY_BASE = HEADER_AND_CLASS_REFERENCE + Integer.BYTES;

    @Override
    public long calculateSize(Object key, Object value) {
        return handleObject(key) + handleObject(value);
    }

    protected long handleObject(Object object) {
        Class<?> type = object.getClass();
        if (type.isArray()) {
            return arraySize(object, type.getComponentType());
        }
        if (object instanceof String string) {
            return roundUpToNearest8(HEADER_AND_CLASS_REFERENCE + POINTER_SIZE + Integer.BYTES + Byte.BYTES)
                    + roundUpToNearest8(ARRAY_BASE + (long) string.length() * Character.BYTES);
        }
        if (object instanceof Long number) {
            return shared(number) ? 0 : roundUpToNearest8(HEADER_AND_CLASS_REFERENCE + Long.BYTES);
        }
        if (object instanceof Integer number) {
            return shared(number) ? 0 : roundUpToNearest8(HEADER_AND_CLASS_REFERENCE + Integer.BYTES);
        }
        if (object instanceof Short number) {
            return shared(number) ? 0 : roundUpToNearest8(HEADER_AND_CLASS_REFERENCE + Short.BYTES);
        }
        if (object instanceof Character character) {
            return character <= Byte.MAX_VALUE ? 0 : roundUpToNearest8(HEADER_AND_CLASS_REFERENCE + Character.BYTES);
        }
        if (object instanceof Double) {
            return roundUpToNearest8(HEADER_AND_CLASS_REFERENCE + Double.BYTES);
        }
        if (object instanceof Float) {
            return roundUpToNearest8(HEADER_AND_CLASS_REFERENCE + Float.BYTES);
        }
        if (object instanceof Boolean || object instanceof Byte) {
            return 0; // every instance is shared
        }
        throw new IllegalArgumentException("cannot estimate the size of a " + type.getName());
    }

    /** Boxes of small values come from the JDK's caches (valueOf, autoboxing), so they cost an entry nothing. */
    private static boolean shared(Number number) {
        return number.longValue() >= Byte.MIN_VALUE && number.longValue() <= Byte.MAX_VALUE;
    }

    private long arraySize(Object array, Class<?> component) {
        int length = Array.getLength(array);
        long size = roundUpToNearest8(ARRAY_BASE + (long) length * elementBytes(component));
        if (!component.isPrimitive()) {
            for (int i = 0; i < length; i++) {
                Object element = Array.get(array, i);
                size += element == null ? 0 : handleObject(element);
            }
        }
        return size;
    }

    private static int elementBytes(Class<?> component) {
        if (!component.isPrimitive()) {
            return POINTER_SIZE;
        }
        if (component == long.class || component == double.class) {
            return Long.BYTES;
        }
        if (component == int.class || component == float.class) {
            return Integer.BYTES;
        }
        if (component == short.class || component == char.class) {
            return Short.BYTES;
        }
        return Byte.BYTES;
    }
}
