package org.syncref.modelcheck;

/**
 * One message of TLC's {@code -tool} output: {@code @!@!@STARTMSG code:severity @!@!@}, the body
 * lines, {@code @!@!@ENDMSG code @!@!@}.
 *
 * @param code the message code (a constant of {@code tlc2.output.EC})
 * @param severity the class (a constant of {@code tlc2.output.MP}: 0 none, 1 error, 2 TLC bug,
 *     3 warning, 4 state)
 * @param body the text between the markers, without the final newline
 */
public record ToolMessage(int code, int severity, String body) {}
