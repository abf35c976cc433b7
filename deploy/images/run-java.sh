#!/bin/sh
# The images' launcher, at the path of Quarkus' JVM images: the JVM's options, the options the image and the pod
# give in JAVA_OPTS_APPEND, then the application's fast-jar.
# shellcheck disable=SC2086 # the options are words on purpose
options=${JAVA_OPTS:--XX:MaxRAMPercentage=50.0 -XX:+ExitOnOutOfMemoryError}
# The serial collector, as `sluice up` runs every member, unless the options choose one (two would stop the JVM).
# G1, which the JVM picks itself given two cores and 2 GiB, gives each chunk of up to 1 MiB humongous regions of its
# own, up to twice its size below a heap of 8 GiB: a store node of 256 MiB handing 1 MiB chunks over ran out of heap
# under G1 and not under the serial collector (StoreTransferIT).
collector=-XX:+UseSerialGC
for option in $options ${JAVA_OPTS_APPEND:-}; do
  case $option in
    -XX:+Use*GC) collector= ;;
  esac
done
exec java $options $collector ${JAVA_OPTS_APPEND:-} -jar "${JAVA_APP_JAR:-/deployments/quarkus-run.jar}" "$@"
