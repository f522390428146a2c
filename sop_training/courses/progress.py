"""Progress arithmetic, free of the database."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """How far a trainee is through a course's lessons."""

    done: int
    total: int

    @property
    def percent(self) -> int:
        """Whole percent done, rounded down so 100 means every lesson is finished."""
        if self.total <= 0:
            return 0
        return min(100, (100 * self.done) // self.total)

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


def lesson_progress(lesson_ids: list[int], done_ids: set[int]) -> Progress:
    """Count finished lessons among the course's current lessons."""
    return Progress(done=sum(1 for i in lesson_ids if i in done_ids), total=len(lesson_ids))
