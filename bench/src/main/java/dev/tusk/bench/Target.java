package dev.tusk.bench;

import java.net.InetSocketAddress;

/**
 * A running server under test: where it listens, the path of its upload collection (where POST
 * creates an upload) and, when known, its process id for CPU and memory readings (0 when unknown).
 */
record Target(String name, InetSocketAddress address, String collection, long pid) {}
