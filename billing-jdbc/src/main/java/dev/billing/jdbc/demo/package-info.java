/** A runnable demonstration of the wallet engine on the embedded H2 default. */
package dev.billing.jdbc.demo;
