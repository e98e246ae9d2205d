/** Benchmarks behind {@code ./syncref bench}: figures are ratios against a baseline measured in the same run. */
package org.syncref.bench;
