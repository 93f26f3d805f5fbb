/**
 * The caches a PMD thread keeps in front of the OpenFlow classifier, as in OVS's
 * dpif-netdev: {@link io.shunt.datapath.cache.FlowCaches} (the per-PMD entry point and its
 * protocol), an exact-match cache and a tuple-space megaflow cache, invalidated by a
 * {@link io.shunt.datapath.cache.FlowGeneration} the control plane advances. Actions are an
 * opaque type parameter supplied by the vswitchd layer.
 */
package io.shunt.datapath.cache;
