/**
 * The test kit for a host application's own tests: an engine in one line ({@link dev.billing.test.BillingFixture}),
 * a clock the test moves ({@link dev.billing.test.TestClock}), time travel that runs the due work the way
 * production does, assertions on the books ({@link dev.billing.test.BillingAssertions}) and a JUnit 5
 * extension ({@link dev.billing.test.BillingTest}) that injects them and checks the books after each test.
 * Add {@code billing-test} with test scope; JUnit is a dependency of this module only.
 */
package dev.billing.test;
