/** Every face faceloop stores is 48x48, one byte of gray per pixel, row-major: FER-2013's own format. */
export const FACE_SIZE = 48;
export const FACE_PIXELS = FACE_SIZE * FACE_SIZE;
