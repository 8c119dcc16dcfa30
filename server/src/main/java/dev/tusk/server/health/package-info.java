/**
 * Whether this instance should get traffic: the store's health as its calls see it ({@link
 * dev.tusk.server.health.StoreHealth}), readiness for {@code /health/ready}, the graceful-shutdown
 * gate and the registry of in-flight bodies that shutdown drains. Depends on nothing above it.
 */
package dev.tusk.server.health;
