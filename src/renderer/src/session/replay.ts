// The rebuilding lives in src/shared/replay, where the replay timeline uses it too.
export { applyRecording, hasDocumentState } from '../../../shared/replay/recording-doc'
export { runMarks, type TimelineRunMark } from '../../../shared/replay/run-marks'
