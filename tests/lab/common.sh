# Shared settings of the kernel lab scripts (sourced).
checkout=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LAB_CACHE=${LAB_CACHE:-$checkout/.cache/lab}
# The guest's Debian release: bookworm (12) or trixie (13, which also carries mstpd).
LAB_SUITE=${LAB_SUITE:-bookworm}
LAB_IMAGE=$LAB_CACHE/guest-$LAB_SUITE.ext4
LAB_KEY=$LAB_CACHE/id_ed25519
# Management link: host side of the tap (in the lab's own namespace) and guest.
LAB_HOST=192.0.2.1
LAB_GUEST=192.0.2.2
lab_netns() { echo "ri-lab-$1"; }
