export { default as KinesisTableStreamEncrypted } from './KinesisTableStreamEncrypted';
