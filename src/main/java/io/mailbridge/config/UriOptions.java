package io.mailbridge.config;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.mailbridge.component.Causes;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.util.StringHelper;

/**
 * The options a {@code @UriParams} class declares (its {@code @UriParam}/{@code @UriPath} fields, superclasses
 * included), and the binding of one property onto one of them with Camel's own conversion, reporting a
 * refusal by the key the user wrote: {@code mail.imap.port = 'imap': not a port number (1-65535)}.
 */
public final class UriOptions {

    /** One option: its name, Java type, default and description, as the annotation declares them. */
    public record Option(String name, Class<?> type, String defaultValue, String description, boolean secret,
            List<String> enums) {

        /** The option's property key suffix: {@code fetchSize} is {@code fetch-size}. */
        public String key() {
            return StringHelper.camelCaseToDash(name);
        }

        boolean isDuration() {
            return type == java.time.Duration.class;
        }
    }

    private UriOptions() {
    }

    /** The options of {@code type}, in declaration order, the superclass's first. */
    public static List<Option> of(Class<?> type) {
        List<Option> options = new ArrayList<>();
        // mailbridge's own declarations only: Camel's endpoint base classes add options no key maps to
        if (type.getSuperclass() != null && type.getSuperclass().getName().startsWith("io.mailbridge.")) {
            options.addAll(of(type.getSuperclass()));
        }
        for (Field f : type.getDeclaredFields()) {
            UriParam param = f.getAnnotation(UriParam.class);
            UriPath path = f.getAnnotation(UriPath.class);
            if (param != null) {
                Class<?> t = "java.time.Duration".equals(param.javaType()) ? java.time.Duration.class : f.getType();
                options.add(new Option(f.getName(), t, param.defaultValue(), param.description(), param.secret(), enums(param.enums())));
            } else if (path != null) {
                options.add(new Option(f.getName(), f.getType(), path.defaultValue(), path.description(), path.secret(), enums(path.enums())));
            }
        }
        return options;
    }

    private static List<String> enums(String list) {
        return list.isEmpty() ? List.of() : Arrays.asList(list.split(","));
    }

    /**
     * Binds {@code value} (from the property {@code key}) onto {@code option} of {@code target}; returns
     * null, or the problem in the user's terms. An empty value is bound too, as Camel would bind it.
     */
    public static String bind(CamelContext context, Object target, Option option, String key, Object value) {
        return bind(context, target, null, option, key, value);
    }

    /** As {@link #bind(CamelContext, Object, Option, String, Object)}, with the target's generated configurer (or null). */
    public static String bind(CamelContext context, Object target, PropertyConfigurer configurer, Option option, String key,
            Object value) {
        String text = String.valueOf(value).trim();
        if (text.isEmpty() && option.type() != String.class && value instanceof String) {
            return key + " is empty: " + conversionReason(option); // reflection would skip it, not set a zero
        }
        if (option.isDuration() && !text.isEmpty() && !Durations.isDuration(text)) {
            return key + " = '" + text + "': not a duration such as 0s, 500, 10s or 1m30s";
        }
        try {
            PropertyBindingSupport.build().withCamelContext(context).withTarget(target).withIgnoreCase(true)
                    .withConfigurer(configurer).withMandatory(true).withReference(true).withProperty(option.name(), value instanceof String ? text : value).bind();
            return null;
        } catch (Exception e) {
            return describe(key, text, option, e);
        }
    }

    /** {@code key = 'value': reason}, the reason in the option's terms; a secret's value is not repeated. */
    static String describe(String key, String value, Option option, Exception e) {
        Throwable cause = Causes.root(e);
        boolean ownWords = cause instanceof IllegalArgumentException && isMailbridge(cause);
        if (value.isEmpty()) {
            return key + " is empty: " + (ownWords ? cause.getMessage() : conversionReason(option));
        }
        if (!ownWords) {
            // Camel could not convert the text to the option's type; its wording names Java types
            return key + (option.secret() ? "" : " = '" + value + "'") + ": " + conversionReason(option);
        }
        // an option's own parser or setter refused it; those messages start with the quoted value
        String reason = cause.getMessage();
        return reason.startsWith("'") && !option.secret() ? key + " = " + reason : key + ": " + reason;
    }

    private static boolean isMailbridge(Throwable t) {
        StackTraceElement[] stack = t.getStackTrace();
        return stack.length > 0 && stack[0].getClassName().startsWith("io.mailbridge.");
    }

    private static String conversionReason(Option option) {
        Class<?> t = option.type();
        if (t == boolean.class || t == Boolean.class) {
            return "must be true or false";
        }
        if (t.isEnum() || !option.enums().isEmpty()) {
            return "must be one of " + String.join(", ", option.enums());
        }
        if (t == int.class || t == long.class || t == Integer.class || t == Long.class) {
            return option.name().equals("port") ? "not a port number (1-65535)" : "not a whole number";
        }
        if (option.isDuration()) {
            return "not a duration such as 0s, 500, 10s or 1m30s";
        }
        return "not a valid " + t.getSimpleName();
    }
}
