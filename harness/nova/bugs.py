"""Historical Nova bugs that the model can switch back on, by Launchpad number.

The model runs current Nova (34.0.0) by default; bugs still open in Nova (1848343, 1836369,
1790204, the consumer-generation leaks of §6.3) are its default behaviour. Each class below is
one small, named deviation: its docstring says what the real code did before the fix, and the
model consults :meth:`Bugs.on` at exactly that place.
"""

from harness.nova.exceptions import unknown_name


class Bug:
    """A historical bug: its number, a title, and the commit that fixed it."""

    number = ""
    title = ""
    fixed_by = ""


class Bug1825537(Bug):
    """finish_resize failure reverted the allocations to the source (Stein, until ea297d6ffb).

    ``ComputeManager.finish_resize`` called ``_revert_allocation`` (move_allocations M -> I) when
    ``_finish_resize_helper`` raised, although ``resize_instance`` had already set
    ``instance.host`` to the destination: Placement then tracked the instance with the old
    flavor on the source while the database said it lived on the destination. The fix deletes
    the migration's allocation instead (``_delete_allocation_after_move``), keeping I: D=new.
    """

    number = "1825537"
    title = "finish_resize failure leaves the old flavor allocated on the source"
    fixed_by = "ea297d6ffb"


class Bug1749215(Bug):
    """resize_instance / finish_resize failures did no allocation clean-up (until caf167862d).

    Both methods let the exception propagate without touching Placement, so M: S=old and
    I: D=new both stayed while the instance was in ERROR. The fix added ``_revert_allocation``
    on failure to both (the finish_resize half was later corrected by bug 1825537's fix).
    """

    number = "1749215"
    title = "failed resize_instance or finish_resize leaks allocations"
    fixed_by = "caf167862d"


class Bug1821594(Bug):
    """confirm_resize failure left the migration 'confirming' and leaked M (408ef8f84a, 03a6d26691).

    ``confirm_resize`` had no ``@errors_out_migration`` and deleted the migration's allocation
    only after ``_confirm_resize`` succeeded, so a failing ``driver.confirm_migration`` left
    M: S=old allocated and the migration stuck in 'confirming'.
    """

    number = "1821594"
    title = "confirm_resize failure leaks the source allocation"
    fixed_by = "03a6d26691"


class Bug1741125(Bug):
    """prep_resize reverted allocations after the reschedule, not before (until db711bc06f).

    The ``M -> I`` revert of the failed attempt ran in a ``finally`` after the synchronous
    reschedule call, i.e. after conductor had moved I -> M again and claimed the alternate, so
    the late revert clobbered the new attempt's allocations.
    """

    number = "1741125"
    title = "resize reschedule clobbered by a late allocation revert"
    fixed_by = "db711bc06f"


class Bug1679750(Bug):
    """The API's local delete (compute service down) left the instance's allocations (ea9d0af313).

    ``_local_delete`` destroyed the instance without calling
    ``delete_allocation_for_instance``; the allocations stayed until the compute restarted and
    its periodic task cleaned them up.
    """

    number = "1679750"
    title = "local delete does not delete allocations"
    fixed_by = "ea9d0af313"


_ALL = (Bug1825537, Bug1749215, Bug1821594, Bug1741125, Bug1679750)
HISTORICAL = {cls.number: cls for cls in _ALL}


class Bugs:
    """The set of reintroduced bugs of one Cloud."""

    def __init__(self, reintroduce=()):
        numbers = []
        for number in reintroduce:
            key = str(number).lstrip("#")
            if key.lower().startswith("lp"):
                key = key[2:].lstrip(":#")
            if key not in HISTORICAL:
                raise ValueError(unknown_name("historical bug", number, HISTORICAL))
            numbers.append(key)
        self.active = tuple(sorted(set(numbers)))

    def on(self, number):
        """True when bug ``number`` is reintroduced."""
        return number in self.active
