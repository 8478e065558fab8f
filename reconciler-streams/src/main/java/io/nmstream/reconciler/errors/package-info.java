/** What happens to records the reconciler cannot handle: dead letters with their reason, and dying stream threads. */
package io.nmstream.reconciler.errors;
