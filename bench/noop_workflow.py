"""The floor of benchmark (d): a workflow that waits for one signal and ends. In its own module, importing
only temporalio, so the workflow sandbox can re-import it as it does the journey's."""

from __future__ import annotations

from temporalio import workflow

SIGNAL = "poke"


@workflow.defn(name="BenchNoOp")
class NoOp:
    """Waits for one signal and ends: the least a signalled workflow can do."""

    def __init__(self) -> None:
        self.poked = False

    @workflow.run
    async def run(self, _input: str) -> None:
        await workflow.wait_condition(lambda: self.poked)

    @workflow.signal(name=SIGNAL)
    def poke(self, _value: str) -> None:
        self.poked = True
