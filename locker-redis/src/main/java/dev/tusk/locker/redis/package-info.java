/**
 * The Redis implementation of {@link dev.tusk.core.Locker} for a fleet of tusk instances: lease
 * keys with renewal, compare-and-delete release, and release requests and notices over pub/sub.
 * Only {@link dev.tusk.locker.redis.RedisLocker} is public; the rest are its parts (commands,
 * subscriber, held locks, pending attempts). Jedis types never leave this package.
 */
package dev.tusk.locker.redis;
