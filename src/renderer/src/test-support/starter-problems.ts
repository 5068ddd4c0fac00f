import type { ProblemDraft } from '../../../shared/problem'

/** The small starter pack the component tests' host loads: three problems, one Python-only. */
export const starterProblems: ProblemDraft[] = [
  {
    title: 'Two Sum',
    slug: 'two-sum',
    difficulty: 'junior',
    tags: ['arrays', 'hashing'],
    description: '# Two Sum\n\nReturn the indices of the two numbers that add up to `target`.',
    entryFunction: 'two_sum',
    starterCode: {
      python: 'def two_sum(nums, target):\n    pass\n',
      javascript: 'function two_sum(nums, target) {}\n',
    },
    solution: {
      python:
        'def two_sum(nums, target):\n    seen = {}\n    for i, n in enumerate(nums):\n        if target - n in seen:\n            return [seen[target - n], i]\n        seen[n] = i\n',
      javascript:
        'function two_sum(nums, target) {\n  const seen = new Map()\n  for (let i = 0; i < nums.length; i++) {\n    if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i]\n    seen.set(nums[i], i)\n  }\n}\n',
    },
    tests: [
      { name: 'small', args: [[2, 7, 11, 15], 9], expected: [0, 1] },
      { name: 'negatives', args: [[-3, 4, 3, 90], 0], expected: [0, 2], hidden: true },
    ],
  },
  {
    title: 'Balanced Brackets',
    slug: 'balanced-brackets',
    difficulty: 'middle',
    tags: ['stack', 'strings'],
    description: 'Is every bracket in `s` closed in the right order?',
    entryFunction: 'is_balanced',
    starterCode: { python: 'def is_balanced(s):\n    pass\n', javascript: 'function is_balanced(s) {}\n' },
    solution: {
      python: 'def is_balanced(s):\n    return True\n',
      javascript: 'function is_balanced(s) {\n  return true\n}\n',
    },
    tests: [{ name: 'empty', args: [''], expected: true }],
  },
  {
    title: 'Interval Scheduling',
    slug: 'interval-scheduling',
    difficulty: 'senior',
    tags: ['greedy'],
    description: 'The most intervals that do not overlap.',
    entryFunction: 'max_intervals',
    starterCode: { python: 'def max_intervals(intervals):\n    pass\n' },
    solution: { python: 'def max_intervals(intervals):\n    return 0\n' },
    tests: [{ name: 'none', args: [[]], expected: 0 }],
  },
]
