import Database from 'better-sqlite3'

export interface ProblemRow {
  id: number
  slug: string
  title: string
  difficulty: string
  starter_python: string
}

/** Reads the bridge's SQLite file directly (read-only): what the UI did must be in the file. */
export function readProblems(databasePath: string): ProblemRow[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true })
  try {
    return db
      .prepare('SELECT id, slug, title, difficulty, starter_python FROM problems ORDER BY id')
      .all() as ProblemRow[]
  } finally {
    db.close()
  }
}

export function readTests(databasePath: string, slug: string): { name: string; hidden: number }[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true })
  try {
    return db
      .prepare(
        'SELECT t.name, t.hidden FROM problem_tests t JOIN problems p ON p.id = t.problem_id WHERE p.slug = ? ORDER BY t.position',
      )
      .all(slug) as { name: string; hidden: number }[]
  } finally {
    db.close()
  }
}
