# shellcheck shell=bash disable=SC2034  # sourced: the scripts that source it read these settings
# Shared settings of the kernel lab scripts (sourced).
checkout=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LAB_CACHE=${LAB_CACHE:-$checkout/.cache/lab}
# The guest's Debian release: bookworm (12) or trixie (13, which also carries mstpd).
LAB_SUITE=${LAB_SUITE:-bookworm}
LAB_IMAGE=$LAB_CACHE/guest-$LAB_SUITE.ext4
LAB_KEY=$LAB_CACHE/id_ed25519
# The guest kernel (tests/lab/kernel): user-mode-linux of this version from Debian's archive.
LAB_UML_VERSION=7.2um1
LAB_UML_ROOT=$LAB_CACHE/uml
LAB_UML=$LAB_UML_ROOT/linux.uml
# Management link: host side of the tap (in the lab's own namespace) and guest.
LAB_HOST=192.0.2.1
LAB_GUEST=192.0.2.2
lab_netns() { echo "ri-lab-$1"; }
# A fabric lab (site-up): its guests and cables (fabric.py's LAB_FABRIC) and its IOS simulator's
# files. Two fabric labs can run side by side when each has its own LAB_FABRIC, names and ports.
LAB_FABRIC=${LAB_FABRIC:-$LAB_CACHE/fabric.json}
export LAB_FABRIC
lab_sim=$LAB_CACHE/ios-sim
[ "$LAB_FABRIC" = "$LAB_CACHE/fabric.json" ] || lab_sim=${LAB_FABRIC%.json}.ios-sim
