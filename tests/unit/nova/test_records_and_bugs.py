"""Records (API status, flavors), the historical-bug switches and the options."""

import testtools

from harness.nova import bugs
from harness.nova import flavors
from harness.nova.cloud import NovaOptions
from harness.nova.records import api_status


class StatusTest(testtools.TestCase):

    def test_status_map(self):
        cases = {
            ("active", None): "ACTIVE",
            ("active", "resize_prep"): "RESIZE",
            ("active", "resize_finish"): "RESIZE",
            ("stopped", None): "SHUTOFF",
            ("stopped", "resize_migrated"): "RESIZE",
            ("resized", None): "VERIFY_RESIZE",
            ("resized", "resize_reverting"): "REVERT_RESIZE",
            ("resized", "deleting"): "VERIFY_RESIZE",
            ("error", "resize_finish"): "ERROR",
            ("building", "scheduling"): "BUILD",
            ("deleted", None): "DELETED",
            ("active", "migrating"): "MIGRATING",
        }
        for (vm_state, task_state), status in sorted(cases.items(), key=str):
            self.assertEqual(status, api_status(vm_state, task_state), (vm_state, task_state))


class FlavorTest(testtools.TestCase):

    def test_default_flavors_are_novas(self):
        defaults = flavors.default_flavors()
        self.assertEqual(["m1.tiny", "m1.small", "m1.medium", "m1.large", "m1.xlarge"],
                         list(defaults))
        self.assertEqual({"VCPU": 1, "MEMORY_MB": 512, "DISK_GB": 1},
                         defaults["m1.tiny"].resources())
        self.assertEqual({"VCPU": 1, "MEMORY_MB": 2048, "DISK_GB": 20},
                         defaults["m1.small"].resources())
        self.assertEqual({"VCPU": 8, "MEMORY_MB": 16384, "DISK_GB": 160},
                         defaults["m1.xlarge"].resources())
        self.assertEqual([1, 2, 3, 4, 5], [f.id for f in defaults.values()])

    def test_custom_flavor_disk_includes_ephemeral_and_swap(self):
        table = flavors.default_flavors()
        flavor = flavors.make_flavor(table, "big", 2, 1024, 10, ephemeral_gb=5, swap=1536)
        self.assertEqual(6, flavor.id)
        self.assertEqual({"VCPU": 2, "MEMORY_MB": 1024, "DISK_GB": 17}, flavor.resources())
        self.assertEqual({"VCPU": 2, "MEMORY_MB": 1024, "DISK_GB": 7},
                         flavor.resources(is_bfv=True))

    def test_bad_flavors(self):
        table = flavors.default_flavors()
        self.assertRaises(ValueError, flavors.make_flavor, table, "m1.tiny", 1, 1, 1)
        error = self.assertRaises(ValueError, flavors.make_flavor, table, "x", -1, 1, 1)
        self.assertIn("vcpus must be a non-negative integer", str(error))
        error = self.assertRaises(ValueError, flavors.lookup, table, "m1.tinyy")
        self.assertIn("Did you mean 'm1.tiny'?", str(error))


class BugsTest(testtools.TestCase):

    def test_catalog(self):
        self.assertEqual({"1825537", "1749215", "1821594", "1741125", "1679750"},
                         set(bugs.HISTORICAL))
        for number, cls in bugs.HISTORICAL.items():
            self.assertEqual(number, cls.number)
            self.assertTrue(cls.__doc__ and cls.fixed_by and cls.title, number)

    def test_spellings(self):
        switched = bugs.Bugs(["#1825537", "LP1749215", 1821594])
        self.assertEqual(("1749215", "1821594", "1825537"), switched.active)
        self.assertTrue(switched.on("1825537"))
        self.assertFalse(switched.on("1741125"))

    def test_unknown_bug(self):
        error = self.assertRaises(ValueError, bugs.Bugs, ["1825573"])
        self.assertIn("Did you mean '1825537'?", str(error))


class OptionsTest(testtools.TestCase):

    def test_validation(self):
        NovaOptions().validate()
        for bad in (dict(max_attempts=0), dict(rpc_response_timeout=0),
                    dict(update_resources_interval=-1)):
            self.assertRaises(ValueError, NovaOptions(**bad).validate)
