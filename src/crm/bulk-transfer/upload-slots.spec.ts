import { RetryLaterException } from '../../platform/errors/retry-later.exception';
import { TooManyRequestsException } from '../../platform/errors/too-many-requests.exception';
import { UploadSlots } from './upload-slots';

describe('UploadSlots', () => {
  it('gives one tenant at most half of the slots (a 429), and refuses everyone once all are taken (a 503)', () => {
    const slots = new UploadSlots(4);
    slots.take('a');
    slots.take('a');
    expect(() => slots.take('a')).toThrow(TooManyRequestsException);
    slots.take('b');
    slots.take('c');
    expect(() => slots.take('d')).toThrow(RetryLaterException);
  });

  it('frees a slot once, however often its release is called', () => {
    const slots = new UploadSlots(2);
    const release = slots.take('a');
    expect(() => slots.take('a')).toThrow(TooManyRequestsException);
    release();
    release();
    slots.take('a');
    slots.take('b');
    expect(() => slots.take('c')).toThrow(RetryLaterException);
  });

  it('lets a tenant upload even when there is a single slot', () => {
    const slots = new UploadSlots(1);
    slots.take('a');
    expect(() => slots.take('b')).toThrow(RetryLaterException);
  });
});
