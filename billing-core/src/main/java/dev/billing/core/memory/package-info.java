/** The in-memory storage: the engine's default, and the basis of test fixtures. */
package dev.billing.core.memory;
