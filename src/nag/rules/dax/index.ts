export { default as DAXEncryptedAtRest } from './DAXEncryptedAtRest';
export { default as DAXMinimumNodes } from './DAXMinimumNodes';
export { default as DAXTLSEndpoint } from './DAXTLSEndpoint';
