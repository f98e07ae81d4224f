import CClarifaiRunnerABI
import Testing

@testable import CModelBackend

/// The MIME types plugins see for request media.
struct MediaTypeTests {
    @Test func commonFormatsAreRecognised() {
        #expect(MediaType.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D], kind: CLARIFAI_MEDIA_IMAGE) == "image/png")
        #expect(MediaType.sniff([0xFF, 0xD8, 0xFF, 0xE0], kind: CLARIFAI_MEDIA_IMAGE) == "image/jpeg")
        #expect(MediaType.sniff([1, 2, 3], kind: CLARIFAI_MEDIA_IMAGE) == "image/x-unknown")
        #expect(MediaType.sniff(Array("RIFF\0\0\0\0WAVE".utf8), kind: CLARIFAI_MEDIA_AUDIO) == "audio/wav")
        #expect(MediaType.sniff([1], kind: CLARIFAI_MEDIA_FILE) == "application/octet-stream")
    }
}
