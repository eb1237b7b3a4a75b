// The recorder: what a data-creation run created, one file per name (Node: files).
export {
  createRecorder, checkRecordName, nodeRecordFiles, RecordWriteError, listRecordFiles, findRecordFile, readRecordsOf, RECORD_NAME,
  type Recorder, type RecorderOptions, type RecordFileHandle, type RecordFiles, type RecordRepair, type RecordFileInfo,
} from './recorder.js';
export {
  readRecords, decodeRecords, decodeMsgpackRecords, decodeNdjsonRecords, recordFormatOf, RECORD_EXTENSIONS,
  type RecordFormat, type RecordsRead,
} from './recordFile.js';
export { msgpackItemEnd, type ItemEnd } from './msgpackFraming.js';
