/**
 * The in-memory storage ({@link dev.billing.core.memory.InMemoryStorage}): the engine's default.
 * One package-private class per area of the storage SPI works on its tables within a unit of work.
 */
package dev.billing.core.memory;
